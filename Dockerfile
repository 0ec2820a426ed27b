# syntax=docker/dockerfile:1
# The Wijkmakers Academie platform as one small image. Templates, translations, static
# files and database migrations are compiled into the binary, so only the binary is copied.
#
#   docker build -t wijkmakers .
#   docker run -p 8080:8080 -e DATABASE_URL=postgres://USER:PASSWORD@HOST:5432/wijkmakers \
#       -e SECRET_KEY=... -e BASE_URL=http://localhost:8080 wijkmakers
# or, with PostgreSQL and Mailpit: docker compose up --build

# --- build -----------------------------------------------------------------------------
FROM rust:1-bookworm AS builder
# Debian's security updates replace exact versions, so packages are not pinned.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpq-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /build

# Dependencies first, with an empty crate: this layer is only rebuilt when Cargo.toml or
# Cargo.lock change, not on every change to the code.
COPY Cargo.toml Cargo.lock ./
RUN mkdir src \
    && echo 'fn main() {}' > src/main.rs \
    && touch src/lib.rs \
    && cargo build --release --locked \
    && rm -rf src target/release/.fingerprint/wijkmakers-* \
        target/release/deps/wijkmakers-* target/release/deps/libwijkmakers-* \
        target/release/wijkmakers target/release/libwijkmakers.*

# The crate itself (see .dockerignore for what stays out).
COPY . .
RUN cargo build --release --locked \
    && install -m 0755 target/release/wijkmakers /usr/local/bin/wijkmakers

# --- run -------------------------------------------------------------------------------
FROM debian:bookworm-slim
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpq5 ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 wijkmakers \
    && useradd --system --uid 10001 --gid 10001 --home-dir /app --create-home \
        --shell /usr/sbin/nologin wijkmakers
COPY --from=builder /usr/local/bin/wijkmakers /usr/local/bin/wijkmakers

# Without SMTP_URL, mails are written under /app/var/mail (MAIL_DIR is relative to here).
WORKDIR /app
# numeric, so that "run as non-root" checks can verify it
USER 10001:10001
ENV BIND=0.0.0.0:8080
EXPOSE 8080

# /healthz through bash's /dev/tcp: the slim image has no curl or wget. The port is the
# one in BIND.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${BIND##*:} && printf 'GET /healthz HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]

CMD ["wijkmakers", "serve"]
