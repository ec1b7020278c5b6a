# The sandbox's pid 1 (bwrap --as-pid-1). Signals sent from inside the sandbox to pid 1 are dropped by the
# kernel, so no command can kill it; when it exits (stdin closed) the kernel kills everything left.
# Arguments: cpu seconds, address space KiB, processes, file size KiB. Requests on stdin, after a first line
# holding the sandbox's secret (never in argv or the environment, which commands can read):
#   x TOKEN LEN\n then LEN bytes: run `bash -c` on them; answer "\nTOKEN STATUS\n" on stdout, "\nTOKEN\n" on stderr
#   t TOKEN LEN\n then LEN bytes of tar: unpack them into /work; answer as for x
#   k TOKEN\n: kill every other process; answer "\nTOKEN 0\n" on stdout
# A TOKEN not starting with the secret is ignored. SIGTERM (sent by the host) kills every other process.
LC_ALL=C
cpu=$1 mem=$2 nproc=$3 fsize=$4
# kill -1 signals every process in the sandbox but this one, zombies included, and fails only when there are none:
# repeat until it fails, so an answer after a kill means nothing is left (bash reaps the orphans, whose parent it
# becomes, on SIGCHLD; one forked while the first kill ran gets the next).
stop_all() { while kill -KILL -1 2>/dev/null; do :; done; }
trap 'killed=1; kill -KILL -1 2>/dev/null' TERM
trap '' HUP INT QUIT
IFS= read -r secret || exit 0
printf 'ready\n'
while :; do
  IFS=' ' read -r op tok len
  rc=$?
  if [ "$rc" -ne 0 ]; then
    [ "$rc" -gt 128 ] && continue
    exit 0
  fi
  case $tok in "$secret"-*) ;; *) continue ;; esac
  case $op in
    x)
      cmd= killed=
      IFS= read -r -d '' -N "$len" cmd || [ "${#cmd}" -eq "$len" ] || exit 0
      ( ulimit -c 0 -v "$mem" -u "$nproc" -f "$fsize" && ulimit -S -t "$cpu" && ulimit -H -t $((cpu + 1)) \
          && exec /bin/bash -c "$cmd" ) </dev/null &
      pid=$!
      while wait "$pid"; st=$?; [ "$st" -gt 128 ] && kill -0 "$pid" 2>/dev/null; do :; done
      # The host's TERM interrupts wait with 128+15 even when its trap has just killed the command and bash has
      # reaped it (kill -0 then fails): ask again for the status bash kept (127 when it kept none).
      if [ "$st" -gt 128 ]; then wait "$pid"; again=$?; [ "$again" -ne 127 ] && st=$again; fi
      [ -n "$killed" ] && stop_all
      printf '\n%s %d\n' "$tok" "$st"
      printf '\n%s\n' "$tok" >&2
      ;;
    t)
      head -c "$len" | tar -x -p -f - -C /work --no-same-owner
      printf '\n%s %d\n' "$tok" "$?"
      printf '\n%s\n' "$tok" >&2
      ;;
    k)
      stop_all
      printf '\n%s 0\n' "$tok"
      ;;
  esac
done
