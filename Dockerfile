# The API image: Python package, seed data, named queries and the built explorer.
FROM node:20-slim AS explorer
WORKDIR /explorer
COPY explorer/ ./
RUN if [ -f package.json ]; then npm ci --no-audit --no-fund && npm run build; else mkdir -p dist; fi

FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml requirements.lock README.md ./
COPY src/ src/
RUN pip install --no-cache-dir -c requirements.lock .
COPY schema/ schema/
COPY queries/ queries/
COPY loaders/ loaders/
COPY data/ data/
COPY --from=explorer /explorer/dist explorer/dist
ENV PKB_HOME=/app
EXPOSE 8000
CMD ["sh", "-c", "pkb seed && pkb serve --host 0.0.0.0"]
