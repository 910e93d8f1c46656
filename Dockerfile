# The bot as a container: webhook mode behind the reverse proxy of docker-compose.yml (see README, Deployment).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
COPY pyproject.toml README.md constraints.txt ./
COPY bot ./bot
# The versions the tests passed with (constraints.txt, refreshed by `make lock`).
RUN pip install -c constraints.txt '.[redis]'
COPY flows ./flows
COPY messages ./messages

RUN useradd --system --uid 10001 --home-dir /app bot && mkdir -p /app/data && chown bot /app/data
USER bot

# Defaults for a container; docker-compose.yml and .env set the rest (token, URL, secret, Redis).
ENV BOT_MODE=webhook \
    WEBHOOK_LISTEN=0.0.0.0 \
    WEBHOOK_PORT=8080 \
    FLOWS_DIR=/app/flows \
    MESSAGES_DIR=/app/messages \
    BOT_DATA_DIR=/app/data
EXPOSE 8080
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s \
    CMD ["python", "-c", "import urllib.request as u; u.urlopen('http://127.0.0.1:8080/healthz', timeout=2)"]
CMD ["python", "-m", "bot", "--webhook"]
