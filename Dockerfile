# Build: docker build -t sockw .
# Run:   docker run --rm -p 8787:8787 sockw run scripts/echo.js --listen tcp://0.0.0.0:8787
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o /out/sockw ./cmd/sockw

FROM gcr.io/distroless/static-debian12:nonroot
WORKDIR /app
COPY --from=build /out/sockw /usr/local/bin/sockw
COPY scripts/ /app/scripts/
USER nonroot:nonroot
EXPOSE 8787
ENTRYPOINT ["/usr/local/bin/sockw"]
CMD ["run", "scripts/echo.js", "--listen", "tcp://0.0.0.0:8787"]
