#!/usr/bin/env bash
# Makes a Docker engine and a Node 20 base image available for docker/Dockerfile, on machines that
# cannot pull images (no registry reachable):
#   1. a Docker engine: reuses the one `docker info` reaches (DOCKER_HOST or the default socket);
#      otherwise, as root, installs Debian's docker.io and starts dockerd in the background;
#   2. the base image: when node:20-bookworm-slim is not present, builds zafka-base:node20 by
#      `docker import` of a root filesystem made from this machine's own Node runtime (node, npm,
#      the shared libraries ldd names, a shell and a few coreutils for bin/*.sh), with a `node`
#      user (uid 1000) as in the official image;
#   3. with --zookeeper-image: zafka-zookeeper:local, this machine's JRE + Debian's ZooKeeper jars,
#      for `zafka-docker up --zookeeper-image zafka-zookeeper:local`.
# Idempotent. When Docker cannot be had it prints one line "Docker not available: <reason>" and
# exits 0, so callers (CI, tests) can go on without it.
#   bash scripts/docker-setup.sh [--rebuild-base] [--zookeeper-image]
set -uo pipefail

BASE_TAG=${ZAFKA_BASE_IMAGE_TAG:-zafka-base:node20}
ZK_TAG=${ZAFKA_ZOOKEEPER_IMAGE_TAG:-zafka-zookeeper:local}
OFFICIAL_BASE=node:20-bookworm-slim
DOCKERD_LOG=${ZAFKA_DOCKERD_LOG:-/var/log/zafka-dockerd.log}
rebuild_base=false
want_zk=false
for arg in "$@"; do
  case "$arg" in
    --rebuild-base) rebuild_base=true ;;
    --zookeeper-image) want_zk=true ;;
    *) echo "USAGE: $0 [--rebuild-base] [--zookeeper-image]" >&2; exit 1 ;;
  esac
done

unavailable() {
  echo "Docker not available: $*"
  exit 0
}

engine_up() { docker info >/dev/null 2>&1; }

# ---- 1. the engine ----------------------------------------------------------------------------
if ! engine_up; then
  if [ -n "${DOCKER_HOST:-}" ]; then
    unavailable "DOCKER_HOST=$DOCKER_HOST does not answer (docker info failed)"
  fi
  [ "$(id -u)" = 0 ] || unavailable "no engine at /var/run/docker.sock and not root (cannot install or start dockerd)"
  if ! command -v dockerd >/dev/null 2>&1; then
    command -v apt-get >/dev/null 2>&1 || unavailable "dockerd is not installed and apt-get is missing"
    echo "Installing docker.io (Debian) ..."
    if ! DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends docker.io >/tmp/zafka-docker-apt.log 2>&1; then
      apt-get update >>/tmp/zafka-docker-apt.log 2>&1
      DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends docker.io >>/tmp/zafka-docker-apt.log 2>&1 ||
        unavailable "apt-get install docker.io failed (see /tmp/zafka-docker-apt.log)"
    fi
  fi
  command -v docker >/dev/null 2>&1 || unavailable "the docker client is missing after installing docker.io"
  if ! pgrep -x dockerd >/dev/null 2>&1; then
    echo "Starting dockerd (log: $DOCKERD_LOG) ..."
    mkdir -p "$(dirname "$DOCKERD_LOG")"
    nohup dockerd >"$DOCKERD_LOG" 2>&1 </dev/null &
  fi
  for _ in $(seq 1 60); do
    engine_up && break
    sleep 0.5
  done
  engine_up || unavailable "dockerd did not come up: $(tail -n 1 "$DOCKERD_LOG" 2>/dev/null)"
fi

# ---- 2. the Node 20 base image -----------------------------------------------------------------
image_present() { docker image inspect "$1" >/dev/null 2>&1; }

# Copies each file and every shared library ldd names for it into the root filesystem $1
# (merged /usr layout, as Debian bookworm).
copy_with_libs() {
  local root=$1
  shift
  local f lib
  for f in "$@"; do
    [ -e "$f" ] || continue
    for lib in $(ldd "$f" 2>/dev/null | awk '/=> \//{print $3} /^[ \t]*\/lib/{print $1}'); do
      lib=${lib#/usr}
      [ -e "$root/usr$lib" ] || { mkdir -p "$root/usr$(dirname "$lib")" && cp -L "$lib" "$root/usr$lib"; }
    done
  done
}

make_rootfs_skeleton() {
  local root=$1
  mkdir -p "$root"/usr/bin "$root"/usr/sbin "$root"/usr/lib/x86_64-linux-gnu "$root"/usr/lib64 "$root"/usr/local/bin \
    "$root"/etc "$root"/tmp "$root"/var/tmp "$root"/home/node "$root"/root "$root"/proc "$root"/sys "$root"/dev
  ln -s usr/bin "$root/bin"
  ln -s usr/sbin "$root/sbin"
  ln -s usr/lib "$root/lib"
  ln -s usr/lib64 "$root/lib64"
  chmod 1777 "$root/tmp" "$root/var/tmp"
  chown 1000:1000 "$root/home/node"
  printf 'root:x:0:0:root:/root:/bin/bash\nnode:x:1000:1000::/home/node:/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n' >"$root/etc/passwd"
  printf 'root:x:0:\nnode:x:1000:\nnogroup:x:65534:\n' >"$root/etc/group"
  printf 'passwd: files\ngroup: files\nhosts: files dns\n' >"$root/etc/nsswitch.conf"
  # A shell and the few tools bin/*.sh and the entrypoint use.
  local tool path tools=()
  for tool in bash dash env dirname basename cat ls mkdir rm cp mv ln chmod chown sleep seq id head tail grep sed awk mawk ps kill pgrep tr cut wc touch; do
    path=$(command -v "$tool" 2>/dev/null) || continue
    [ -f "$path" ] || continue
    path=$(readlink -f "$path")
    cp -L "$path" "$root/usr/bin/$(basename "$path")"
    [ "$(basename "$path")" = "$tool" ] || ln -sf "$(basename "$path")" "$root/usr/bin/$tool"
    tools+=("$path")
  done
  ln -sf dash "$root/usr/bin/sh"
  copy_with_libs "$root" "${tools[@]}"
}

build_base() {
  local node npm_dir root
  node=$(readlink -f "$(command -v node)") || unavailable "node is not installed on this machine"
  "$node" -e 'process.exit(process.versions.node.split(".")[0] === "20" ? 0 : 1)' ||
    echo "warning: this machine's node is $("$node" --version), not 20" >&2
  root=$(mktemp -d /tmp/zafka-base-rootfs.XXXXXX)
  make_rootfs_skeleton "$root"
  cp -L "$node" "$root/usr/local/bin/node"
  copy_with_libs "$root" "$node"
  npm_dir=$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")
  if [ -d "$npm_dir" ]; then
    mkdir -p "$root/usr/local/lib/node_modules"
    cp -a "$npm_dir" "$root/usr/local/lib/node_modules/npm"
    ln -s ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/local/bin/npm"
    ln -s ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/local/bin/npx"
  fi
  # Native addons of the project (crc32, snappy, lz4, zstd) may need libraries node itself does not.
  local repo
  repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  # The trailing slash follows a node_modules that is a symlink (a worktree sharing one).
  mapfile -t addons < <(find "$repo/node_modules/" -name '*.node' -type f 2>/dev/null)
  copy_with_libs "$root" "${addons[@]}"
  echo "Importing $BASE_TAG from this machine's Node $("$node" --version) ($(du -sh "$root" | cut -f1)) ..."
  tar -C "$root" -c . | docker import \
    -c 'ENV PATH=/usr/local/bin:/usr/local/sbin:/usr/bin:/usr/sbin:/bin:/sbin' \
    -c 'ENV NODE_VERSION='"$("$node" --version | tr -d v)" \
    -c 'CMD ["node"]' - "$BASE_TAG" >/dev/null
  local rc=$?
  rm -rf "$root"
  [ $rc = 0 ] || unavailable "docker import of $BASE_TAG failed"
}

if image_present "$OFFICIAL_BASE"; then
  echo "Base image: $OFFICIAL_BASE (present)"
elif image_present "$BASE_TAG" && [ "$rebuild_base" = false ]; then
  echo "Base image: $BASE_TAG (present; --rebuild-base to remake it)"
else
  build_base
  echo "Base image: $BASE_TAG (imported; build with --build-arg BASE_IMAGE=$BASE_TAG)"
fi

# ---- 3. optional ZooKeeper image ----------------------------------------------------------------
build_zookeeper() {
  local java_home root
  [ -f /usr/share/java/zookeeper.jar ] || { echo "ZooKeeper image skipped: Debian's zookeeper is not installed (scripts/install-deps.sh)"; return; }
  java_home=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
  root=$(mktemp -d /tmp/zafka-zk-rootfs.XXXXXX)
  make_rootfs_skeleton "$root"
  mkdir -p "$root/opt/java" "$root/usr/share" "$root/data" "$root/conf"
  (cd "$java_home" && tar -c -h --exclude=./jmods --exclude=./include --exclude=./man --exclude=./docs --exclude=./demo --exclude=./src.zip .) | tar -C "$root/opt/java" -x
  cp -aL /usr/share/java "$root/usr/share/java"
  copy_with_libs "$root" "$root/opt/java/bin/java" "$root"/opt/java/lib/*.so "$root"/opt/java/lib/server/*.so
  chown 1000:1000 "$root/data" "$root/conf"
  # Like the official image: the client port comes from ZOO_SERVERS ("server.1=...;PORT", default
  # 2181); the admin server is off and srvr/ruok/mntr answer (health checks).
  cat >"$root/usr/local/bin/zookeeper-start.sh" <<'ZKSTART'
#!/bin/sh
port=2181
case "${ZOO_SERVERS:-}" in *\;*) port=${ZOO_SERVERS##*;} ;; esac
printf 'dataDir=/data\nclientPort=%s\nmaxClientCnxns=0\nadmin.enableServer=false\n4lw.commands.whitelist=srvr,ruok,mntr\n' "$port" >/conf/zoo.cfg
exec java -Xmx256m -cp /usr/share/java/zookeeper.jar:/usr/share/java/slf4j-log4j12.jar:/usr/share/java/log4j-1.2.jar \
  -Dlog4j.configuration=file:/conf/log4j.properties org.apache.zookeeper.server.quorum.QuorumPeerMain /conf/zoo.cfg
ZKSTART
  chmod 755 "$root/usr/local/bin/zookeeper-start.sh"
  printf 'log4j.rootLogger=INFO, stdout\nlog4j.appender.stdout=org.apache.log4j.ConsoleAppender\nlog4j.appender.stdout.layout=org.apache.log4j.PatternLayout\nlog4j.appender.stdout.layout.ConversionPattern=[%%d] %%p %%m (%%c)%%n\n' >"$root/conf/log4j.properties"
  echo "Importing $ZK_TAG from this machine's JRE and Debian's ZooKeeper jars ($(du -sh "$root" | cut -f1)) ..."
  tar -C "$root" -c . | docker import \
    -c 'ENV PATH=/opt/java/bin:/usr/local/bin:/usr/bin:/bin' \
    -c 'EXPOSE 2181' \
    -c 'USER 1000:1000' \
    -c 'CMD ["/usr/local/bin/zookeeper-start.sh"]' \
    - "$ZK_TAG" >/dev/null
  local rc=$?
  rm -rf "$root"
  [ $rc = 0 ] && echo "ZooKeeper image: $ZK_TAG (imported)" || echo "ZooKeeper image: docker import of $ZK_TAG failed"
}

if [ "$want_zk" = true ]; then
  if image_present "$ZK_TAG" && [ "$rebuild_base" = false ]; then echo "ZooKeeper image: $ZK_TAG (present)"; else build_zookeeper; fi
fi
