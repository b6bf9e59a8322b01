#!/bin/sh
# `pixiv-launch` inside the launcher image: the same command as ./pixiv-launch in a checkout.
exec java ${PIXIV_JAVA_OPTS:-} -jar /app/pixiv-launch.jar "$@"
