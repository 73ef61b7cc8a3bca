# Sceau service image. Build: docker build -t sceau .
# Run:   docker run -p 8000:8000 -v sceau-instance:/srv/instance \
#          -e SCEAU_KEY_PASSPHRASE=... -e SCEAU_SEAL_BASE_URL=https://sceau.example.org \
#          -e DATABASE_URL=postgresql://... -e SCEAU_REDIS_URL=redis://... sceau
# docs/operations.md ("Production") says what else production sets.

# --- builder: compiles the message catalogues and builds the wheels (ours and every
# dependency's), with a compiler at hand for any dependency without a binary wheel. Nothing of
# this stage but /wheels reaches the image.
FROM python:3.11-slim-bookworm AS builder

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN apt-get update \
    && apt-get install -y --no-install-recommends build-essential \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /src
COPY pyproject.toml README.md babel.cfg ./
COPY signing ./signing
COPY bundles ./bundles
COPY verifier ./verifier
# .po -> .mo before the wheel is built: the wheel carries the compiled catalogues as package
# data. The browser's QR decoder is the committed build in verifier/static/vendor (make static).
RUN pip install "babel>=2.16,<3" \
    && pybabel compile -d verifier/translations \
    && pip wheel --wheel-dir /wheels .

# --- runtime: the wheels installed offline, fonts, a user without privileges.
FROM python:3.11-slim-bookworm AS runtime

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    SCEAU_INSTANCE=/srv/instance \
    SCEAU_HOST=0.0.0.0 \
    SCEAU_PORT=8000 \
    SCEAU_TEMPLATES=/srv/app/templates \
    PROMETHEUS_MULTIPROC_DIR=/tmp/sceau-metrics \
    SCEAU_INPROCESS_WORKER=0

# DejaVu (Latin and Arabic) for the pages' PDF renderings beside the fonts the package embeds.
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --create-home --home-dir /srv --uid 10001 sceau

COPY --from=builder /wheels /tmp/wheels
RUN pip install --no-index --find-links=/tmp/wheels sceau \
    && rm -rf /tmp/wheels \
    && mkdir -p /srv/instance /srv/app \
    && chown sceau:sceau /srv/instance

WORKDIR /srv/app
# Templates live at the top level (ARCHITECTURE.md); SCEAU_TEMPLATES points the app at them.
COPY templates ./templates

USER sceau
VOLUME ["/srv/instance"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('SCEAU_PORT', '8000'), timeout=2).status != 200)"]
# Migrations first (`sceau init` runs `sceau db upgrade`, then completes the instance and keeps
# what exists), then gunicorn: exec, so that the server is PID 1 and gets docker stop's SIGTERM.
# Several replicas: run `sceau db upgrade` once as a release step (docs/operations.md).
# Background jobs run in their own containers of this image: `sceau worker`.
CMD ["sh", "-c", "sceau init && exec sceau serve --production"]
