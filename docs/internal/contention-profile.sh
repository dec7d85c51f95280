#!/bin/bash
# Which objects do several worker threads reference-count, and where?
#
# Swift's swift_retain/swift_release are atomic read-modify-writes on the object's header; when two
# threads count the same object its cache line moves between the cores on every call. Sampling
# profilers show that cost only as "time in swift_retain". This script samples the calls
# themselves with uprobes, keeps the objects that more than one thread touched, and names each
# object's type (from its metadata's nominal type descriptor) and the calling function.
#
# Usage (root, perf with uprobes; Linux):
#   docs/internal/contention-profile.sh [--wait S] [--record S] [--every N] -- ICMC-COMMAND...
# e.g.
#   docs/internal/contention-profile.sh -- .build/release/icmc bench spec bench-pubsub \
#       --param subscribers=2 --param events=2 --workers 2 --fixed-workers --time-limit 60s
# The command runs for --wait seconds (default 8), every --every'th call (default 100) is
# recorded for --record seconds (default 2), then the process is stopped, its memory read to
# resolve the types, and killed. Prints the share of contended calls per (type, caller).
set -euo pipefail
wait_s=8; record_s=2; every=100
while [ $# -gt 0 ]; do
  case "$1" in
    --wait) wait_s=$2; shift 2 ;;
    --record) record_s=$2; shift 2 ;;
    --every) every=$2; shift 2 ;;
    --) shift; break ;;
    *) echo "contention-profile: unknown option $1 (see the comment at the top)" >&2; exit 2 ;;
  esac
done
[ $# -gt 0 ] || { echo "contention-profile: no command given after --" >&2; exit 2; }
command -v perf > /dev/null || { echo "contention-profile: needs perf" >&2; exit 2; }
core=$(ldd "$1" | awk '/libswiftCore.so/ {print $3}')
[ -n "$core" ] || { echo "contention-profile: $1 does not link libswiftCore.so" >&2; exit 2; }
work=$(mktemp -d)
perf probe -q -x "$core" --add 'swift_retain obj=%di:u64' 2> /dev/null || true
perf probe -q -x "$core" --add 'swift_release obj=%di:u64' 2> /dev/null || true
cleanup() {
  [ -n "${pid:-}" ] && kill -9 "$pid" 2> /dev/null || true
  perf probe -q --del 'probe_libswiftCore:swift_re*' 2> /dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
"$@" > "$work/out" 2>&1 &
pid=$!
sleep "$wait_s"
kill -0 "$pid" 2> /dev/null || { echo "contention-profile: the command ended within $wait_s s" >&2; exit 1; }
timeout "$record_s" perf record -q -g -a -c "$every" -e probe_libswiftCore:swift_retain \
  -e probe_libswiftCore:swift_release -o "$work/perf.data" > /dev/null 2>&1 || true
kill -STOP "$pid"
perf script -i "$work/perf.data" -F tid,trace,ip,sym 2> /dev/null > "$work/script.txt"
python3 - "$pid" "$work/script.txt" <<'PY'
import bisect, functools, struct, subprocess, sys
from collections import Counter, defaultdict
pid, script = int(sys.argv[1]), sys.argv[2]
maps = [line.split() for line in open(f'/proc/{pid}/maps')]
memory = open(f'/proc/{pid}/mem', 'rb')
def word(address):
    try:
        memory.seek(address)
        return struct.unpack('<Q', memory.read(8))[0]
    except (OSError, ValueError, struct.error):
        return None
symbols = {}
def symbol(address):
    for fields in maps:
        low, high = (int(x, 16) for x in fields[0].split('-'))
        if low <= address < high and len(fields) > 5 and fields[5].startswith('/'):
            path = fields[5]
            base = min(int(f[0].split('-')[0], 16) for f in maps if len(f) > 5 and f[5] == path)
            if path not in symbols:
                listing = subprocess.run(['nm', '--defined-only', path], capture_output=True, text=True).stdout
                table = []
                for line in listing.splitlines():
                    parts = line.split()
                    if len(parts) >= 3:
                        try: table.append((int(parts[0], 16), parts[2]))
                        except ValueError: pass
                symbols[path] = sorted(table)
            table = symbols[path]
            index = bisect.bisect_right(table, (address - base, '~')) - 1
            return table[index][1] if index >= 0 else None
    return None
@functools.lru_cache(maxsize=None)
def demangle(name):
    out = subprocess.run(['swift', 'demangle', '--simplified', name], capture_output=True, text=True).stdout.strip()
    return out.split('---> ')[-1].replace('nominal type descriptor for ', '').replace('type metadata for ', '')
type_names = {}
def type_name(isa):
    if isa not in type_names:
        name = symbol(isa)
        if name is None:  # runtime-instantiated metadata: its nominal type descriptor (class metadata + 40)
            descriptor = word(isa + 40)
            name = symbol(descriptor) if descriptor else None
        type_names[isa] = demangle(name) if name else '?'
    return type_names[isa]
events, threads = [], defaultdict(set)
for block in open(script).read().split('\n\n'):
    lines = block.strip().split('\n')
    if not lines or 'obj=' not in lines[0]: continue
    obj = int(lines[0].split('obj=')[1].split()[0])
    if obj == 0 or obj >= 1 << 62: continue  # nil, tagged or immortal values
    threads[obj].add(lines[0].split()[0])
    caller = lines[2].strip().split(None, 1)[-1].split('+')[0] if len(lines) > 2 else '?'
    events.append((obj, caller))
shared = Counter()
for obj, caller in events:
    if len(threads[obj]) < 2: continue
    isa, counts = word(obj), word(obj + 8)
    if isa is None or counts is None: continue
    if counts & 0xFFFF_FFFF == 0xFFFF_FFFF: continue  # immortal (e.g. the empty array): counting it writes nothing
    shared[(type_name(isa)[:40], demangle(caller)[:100])] += 1
total = sum(shared.values())
print(f'sampled calls: {len(events)}; on objects counted by more than one thread: {total}')
for (name, caller), count in shared.most_common(25):
    print(f'{count / max(total, 1):7.2%}  {name:40s}  {caller}')
PY
