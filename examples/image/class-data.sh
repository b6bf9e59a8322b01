#!/bin/sh
# Writes the class-data archive (AppCDS) of pixiv.jar, so that every `pixiv` in the image starts
# faster: the JVM maps the classes a run loads from ARCHIVE instead of reading, verifying and
# linking them from the jar (about 0.4-0.9 s of each pod's start on two cores; docs/image.md).
#
#   class-data.sh JAR ARCHIVE
#
# Run it with the JVM and options of the image that will use the archive, on the jar at the path
# the image runs it from: the archive is only used by that JVM and that jar (path, size, time).
# The JVM's options and `-XX:SharedArchiveFile=ARCHIVE` then go on the command line; a JVM that
# cannot use the archive runs without it.
#
# The classes are those two runs load: the offline demo (command line, fetcher, parser, files,
# report) and a scrape from a BigQuery table at a closed local port (BigQuery's client, which
# fails to connect there: no network and no credentials are needed).
set -eu
if [ $# -ne 2 ]; then
  echo "usage: class-data.sh JAR ARCHIVE" >&2
  exit 2
fi
# Absolute: the runs below work in a directory of their own.
case $1 in /*) jar=$1 ;; *) jar=$PWD/$1 ;; esac
case $2 in /*) archive=$2 ;; *) archive=$PWD/$2 ;; esac
# The demo's site and the closed port are on loopback, which a proxy the build passes in
# (docker build's HTTP_PROXY) would be asked for.
unset http_proxy HTTP_PROXY https_proxy HTTPS_PROXY all_proxy ALL_PROXY
# A heap the size of a pod's: sized from a build host's memory (64 GB and more), it would leave
# compressed object pointers off, and no pod could use the archive.
heap=-Xmx1g
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
if ! java $heap -XX:DumpLoadedClassList=demo.classes -jar "$jar" demo --out demo > demo.log 2>&1; then
  echo "class-data.sh: the demo failed:" >&2
  cat demo.log >&2
  exit 1
fi
# Exit 69 (BigQuery unavailable) is what this run is for; anything else is not.
code=0
java $heap -XX:DumpLoadedClassList=bigquery.classes -jar "$jar" scrape \
  --source bq:class-data.training.source --sink bq:class-data.training.sink \
  --bigquery-endpoint http://127.0.0.1:9 --bigquery-attempts 1 > bigquery.log 2>&1 || code=$?
if [ "$code" -ne 69 ]; then
  echo "class-data.sh: the BigQuery run exited $code, not 69:" >&2
  cat bigquery.log >&2
  exit 1
fi
awk '!seen[$0]++' demo.classes bigquery.classes > all.classes
if ! java $heap -Xshare:dump -XX:SharedClassListFile=all.classes -XX:SharedArchiveFile="$archive" \
    -cp "$jar" > dump.log 2>&1; then
  echo "class-data.sh: the archive could not be written:" >&2
  cat dump.log >&2
  exit 1
fi
# -Xshare:on fails when the archive cannot be mapped, where the image's -Xshare:auto would not;
# with the heap of a 512Mi pod (the launcher's default limit), as a pod would map it.
if ! java -XX:MaxRAM=512m -Xshare:on -XX:SharedArchiveFile="$archive" -jar "$jar" --version \
    > check.log 2>&1; then
  echo "class-data.sh: the JVM cannot use the archive it wrote:" >&2
  cat check.log >&2
  exit 1
fi
chmod 0444 "$archive"
