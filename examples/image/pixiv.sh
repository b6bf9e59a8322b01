#!/bin/sh
# `pixiv` inside the image: the same command as ./pixiv in a checkout.
# The options of the image's entrypoint (Dockerfile): the class-data archive, JVM warnings on stderr.
exec java -XX:SharedArchiveFile=/app/pixiv.jsa -Xlog:disable -Xlog:all=warning:stderr \
  ${PIXIV_JAVA_OPTS:-} -jar /app/pixiv.jar "$@"
