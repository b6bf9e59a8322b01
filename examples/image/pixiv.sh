#!/bin/sh
# `pixiv` inside the image: the same command as ./pixiv in a checkout.
exec java ${PIXIV_JAVA_OPTS:-} -jar /app/pixiv.jar "$@"
