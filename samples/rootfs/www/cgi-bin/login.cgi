#!/bin/sh
# Hard-coded maintenance login of the sample firmware.
[ "$user" = "admin" ] && [ "$pass" = "admin" ] && echo "Set-Cookie: sid=1"
