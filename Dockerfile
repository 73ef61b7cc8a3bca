# Sceau service image. Build: docker build -t sceau .
# Run:   docker run -p 8000:8000 -v sceau-instance:/srv/instance \
#          -e SCEAU_KEY_PASSPHRASE=... -e SCEAU_SEAL_BASE_URL=https://sceau.example.org sceau
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    SCEAU_INSTANCE=/srv/instance \
    SCEAU_HOST=0.0.0.0 \
    SCEAU_PORT=8000 \
    SCEAU_TEMPLATES=/srv/app/templates

RUN useradd --system --create-home --home-dir /srv --uid 10001 sceau

WORKDIR /srv/app
COPY pyproject.toml README.md ./
COPY signing ./signing
COPY bundles ./bundles
COPY verifier ./verifier
# Templates live at the top level (ARCHITECTURE.md); SCEAU_TEMPLATES points the app at them.
COPY templates ./templates
# The message catalogues are compiled (.po -> .mo) before the install copies them as package
# data; the browser's QR decoder is the committed build of verifier/static/vendor (make static).
RUN pip install --no-compile "babel>=2.16,<3" \
    && pybabel compile -d verifier/translations \
    && pip install --no-compile . && mkdir -p /srv/instance && chown sceau:sceau /srv/instance

USER sceau
VOLUME ["/srv/instance"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz').status != 200)"
CMD ["sh", "-c", "sceau init && exec sceau serve"]
