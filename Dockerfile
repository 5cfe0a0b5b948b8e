# The runner image for `sweepspec submit --kubernetes` (docs/cluster.md,
# "The runner image"): Node 20, this project with its runtime dependencies,
# and the native TensorFlow backend built from a TensorFlow pip wheel the way
# `sweepspec setup native` builds it. `sweepspec` is on PATH, which is how the
# generated manifests start every pod.
#
#   docker build -t registry.example.com/lab/sweepspec:0.1.0 .
#   docker build --build-arg TENSORFLOW=tensorflow-cpu==2.21.0 ...   # another TensorFlow
#
# GPU nodes: see docs/cluster.md ("GPU image") for the variant on a CUDA base.

ARG NODE_IMAGE=node:20-bookworm

FROM ${NODE_IMAGE} AS build
ARG TENSORFLOW=tensorflow-cpu==2.21.0
# pip fetches the wheel, unzip unpacks its C library and headers, and
# build-essential + python3 are what node-gyp needs to build the binding.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 python3-pip unzip build-essential \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /opt/sweepspec
COPY package.json package-lock.json ./
# --ignore-scripts: tfjs-node's own install script would download an old
# libtensorflow; the binding is built from the wheel below instead (sharp's
# binaries come as platform packages and need no script).
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund
COPY . .
RUN pip download --no-deps "${TENSORFLOW}" -d /tmp/wheel \
 && node bin/sweepspec.js setup native --tensorflow-wheel /tmp/wheel/*.whl
# setup native links the binding's libraries to its cache under ~/.cache;
# copy the two the binding loads into the package so the next stage needs
# nothing else (the headers were for the build only).
RUN cd node_modules/@tensorflow/tfjs-node/deps \
 && for lib in lib/libtensorflow_cc.so.2 lib/libtensorflow_framework.so.2; do cp --remove-destination "$(readlink -f "$lib")" "$lib"; done \
 && rm include \
 && node -e "require('@tensorflow/tfjs-node'); if (require('@tensorflow/tfjs').getBackend() !== 'tensorflow') process.exit(1)"

FROM ${NODE_IMAGE}-slim
COPY --from=build /opt/sweepspec /opt/sweepspec
WORKDIR /opt/sweepspec
# Fails the build if the slim base lacks what the binding or the CLI needs.
RUN ln -s /opt/sweepspec/bin/sweepspec.js /usr/local/bin/sweepspec \
 && sweepspec --version \
 && node -e "require('@tensorflow/tfjs-node'); if (require('@tensorflow/tfjs').getBackend() !== 'tensorflow') process.exit(1)"
ENTRYPOINT ["sweepspec"]
CMD ["--help"]
