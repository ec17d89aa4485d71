#!/bin/sh
echo "Content-Type: text/plain"
echo
host=$(echo "$QUERY_STRING" | sed 's/.*host=\([^&]*\).*/\1/')
eval "ping -c 1 $host"
sh -c "arping -c 1 $FORM_ip"
