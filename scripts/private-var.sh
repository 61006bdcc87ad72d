# Sourced by run.sh and shell.sh before they start anything: everything the assistant writes
# (conversations, answers, logs) is private to this user. New files 0600 and folders 0700 for
# this shell and every server it starts; var/ 0700, and what is already in it tightened
# (files made by an earlier version, or by a process run with another umask).
umask 077
VAR_DIR="${VAR_DIR:-var}"
mkdir -p "$VAR_DIR/log"
chmod 700 "$VAR_DIR"
# Owner-only, without following symbolic links (their targets are not ours to change).
find "$VAR_DIR" -user "$(id -u)" ! -type l -perm /077 -exec chmod go-rwx {} + 2>/dev/null || true
