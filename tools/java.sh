#!/usr/bin/env bash
# Java for the Spark engine (PySpark 4.3 needs Java 17 or 21): installed from Debian only if absent.
set -euo pipefail
major() { java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1; }
if command -v java >/dev/null 2>&1 && [ "$(major)" -ge 17 ] 2>/dev/null; then
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "Java 17 未安装且非 root，无法安装 / Java 17 is missing and we are not root: apt-get install openjdk-17-jre-headless" >&2
  exit 1
fi
echo "安装 Java 17 / installing openjdk-17-jre-headless from Debian packages" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless >/dev/null
