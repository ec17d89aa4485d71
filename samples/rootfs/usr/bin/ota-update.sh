#!/bin/sh
# Nightly over-the-air update of the Starlab Demo Router.
URL=http://updates.example.com/sdr-100/latest.bin
wget -q --no-check-certificate -O /tmp/fw.bin "$URL" || exit 1
curl -k -s -o /tmp/fw.sig https://updates.example.com/sdr-100/latest.sig
sysupgrade -n /tmp/fw.bin
