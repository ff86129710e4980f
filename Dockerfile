# syntax=docker/dockerfile:1
# The Cité des métiers application: gunicorn serving Django, static files by whitenoise.
# Stage 1 builds the virtual environment, the compiled catalogs and the static files;
# stage 2 runs them as an unprivileged user on a read-only copy of the code.
ARG PYTHON_VERSION=3.11

FROM python:${PYTHON_VERSION}-slim-bookworm AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PROJECT_ENVIRONMENT=/opt/venv
RUN pip install uv==0.13.9
WORKDIR /app
COPY pyproject.toml uv.lock ./
# The runtime dependencies, and PostgreSQL's pg_dump and pg_restore for the scheduled backups.
RUN uv sync --frozen --no-dev --group pgtools --no-install-project
COPY . .
# Settings need a key and a database address to load; collectstatic uses neither.
RUN /opt/venv/bin/python -m citedesmetiers.operations.catalogs citedesmetiers/locale/*/LC_MESSAGES/django.po \
 && CDM_MODE=production SECRET_KEY=collectstatic-only DATABASE_URL=postgres://build/none \
    STATIC_ROOT=/app/staticfiles /opt/venv/bin/python manage.py collectstatic --noinput --verbosity 0

FROM python:${PYTHON_VERSION}-slim-bookworm
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    CDM_MODE=production \
    STATIC_ROOT=/app/staticfiles \
    VAR_DIR=/tmp/citedesmetiers \
    BACKUP_DIR=/backups \
    BIND=0.0.0.0:8000
# Pango, HarfBuzz's subsetter and fonts: WeasyPrint renders the annual report's PDF with them.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*
RUN useradd --system --uid 10001 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin cdm \
 && install -d -o cdm -g cdm -m 700 /backups
COPY --from=build /opt/venv /opt/venv
COPY --from=build /app /app
WORKDIR /app
USER cdm
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s \
  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2)"]
CMD ["gunicorn", "-c", "python:citedesmetiers.operations.gunicorn_conf", "citedesmetiers.wsgi"]
