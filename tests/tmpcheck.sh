#!/bin/sh
# tmpcheck.sh COMMAND [ARGS...] - run a test command with TMPDIR set to a
# fresh private folder under /tmp, and fail when the command leaves anything
# in it (a suite that did not remove its temporary folders, a runner that
# did not clean up).  The folder itself is removed in every case.
dir=$(mktemp -d /tmp/iafq-tmpcheck-XXXXXX) || exit 3
TMPDIR=$dir "$@"
rc=$?
left=$(find "$dir" -mindepth 1 -maxdepth 1 2>/dev/null)
rm -rf "$dir"
if [ -n "$left" ]; then
    echo "tmpcheck: '$*' left temporary files behind:" >&2
    echo "$left" | sed 's/^/  /' >&2
    [ "$rc" -eq 0 ] && rc=1
fi
exit "$rc"
