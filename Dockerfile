# One image for every server of the scaled-out shape (docker-compose.yml, and the Helm charts'
# image in the README's Kubernetes section): the project with its pinned packages, its word
# vectors, its trained model and the chat page's library, built by the same `make` targets a
# laptop uses. Which server a container runs is its command: scripts/serve-rasa.sh,
# scripts/serve-actions.sh, or the page server. Not built on the project's own machines (they
# run no Docker engine); see the README, "Scaling out".
FROM python:3.10-slim-bookworm
RUN apt-get update \
 && apt-get install -y --no-install-recommends make ca-certificates nodejs npm \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY . .
RUN make train node_modules/deep-chat/dist/deepChat.bundle.js && rm -rf .rasa
RUN useradd --create-home assistant && mkdir -p var && chown -R assistant var
USER assistant
ENV RASA_TELEMETRY_ENABLED=false
EXPOSE 5005 5055 8080
