# exbinder container image: Debian 12 (bookworm) with Node.js 20, exbinder
# installed from the package this checkout packs (npm pack, as CI tests it),
# run as an unprivileged user with the snapshot store as a volume.
#
#   docker build -t exbinder:0.1.0 .
#   docker run --rm exbinder:0.1.0 demo --out /var/lib/exbinder/demo
#   docker run --rm -v exbinder-store:/var/lib/exbinder -v /etc/exbinder:/etc/exbinder:ro \
#     exbinder:0.1.0 snapshot --config /etc/exbinder/job.yaml
#
# docs/scheduling.md (Kubernetes CronJob) runs this image.

FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
# dev dependencies only compile TypeScript here: no install scripts needed
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json README.md LICENSE ./
COPY src ./src
COPY templates ./templates
COPY docs ./docs
COPY fixtures/supplement.example.yaml ./fixtures/
COPY fixtures/exports/contoso.ldif ./fixtures/exports/
# prepack compiles dist/; the tarball is what `npm install -g` gets below
RUN npm pack --pack-destination /tmp \
 && mv /tmp/exbinder-*.tgz /tmp/exbinder.tgz

FROM node:20-bookworm-slim
# git: the store's history (git: true); libgssapi-krb5-2: Kerberos binds;
# ca-certificates: the system CAs for LDAPS; tini: signals reach node (it
# records a failure and releases the store lock on SIGTERM) and zombies are reaped;
# fonts-noto-core and fonts-droid-fallback: the PDF's fallback faces for scripts DejaVu
# lacks (Thai, Indic, Chinese, Japanese; docs/fonts.md), about 50 MB installed
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates git libgssapi-krb5-2 tini fonts-noto-core fonts-droid-fallback \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /tmp/exbinder.tgz /tmp/exbinder.tgz
RUN npm install -g --omit=dev --no-audit --no-fund /tmp/exbinder.tgz \
 && rm /tmp/exbinder.tgz \
 && npm cache clean --force
# the uid/gid the Kubernetes example runs as (runAsUser/fsGroup 10001)
RUN groupadd --gid 10001 exbinder \
 && useradd --uid 10001 --gid 10001 --home-dir /var/lib/exbinder --no-create-home --shell /usr/sbin/nologin exbinder \
 && mkdir -p /var/lib/exbinder /etc/exbinder \
 && chown exbinder:exbinder /var/lib/exbinder
USER 10001:10001
ENV HOME=/var/lib/exbinder
WORKDIR /var/lib/exbinder
VOLUME ["/var/lib/exbinder"]
ENTRYPOINT ["/usr/bin/tini", "--", "exbinder"]
CMD ["--help"]
