#!/usr/bin/env bash
# A sharded attack over ssh, on one machine: N "hosts" made of network namespaces on a bridge, each running its own
# sshd; a controller namespace starts `barrage attack -shard=%n/N -start-at=T` on every host with pdsh (exec module,
# ssh), fetches each host's results with scp and merges them with `barrage report`; the HTTP server runs in a
# namespace of its own. Every packet stays inside these namespaces (the bridge lives in one too). Run as root.
#
#   netns-shards.sh run  TAG DIR BARRAGE N RATE DURATION   set up, attack, collect, report; then tear down
#   netns-shards.sh down TAG DIR                           tear down what TAG set up (idempotent)
#
# `run` leaves in DIR: start-at (the instant given to every shard), count (requests the server received),
# collected/<host>.bin (each host's results), report.json and report.stderr, hosts (host addresses in rank order).
# TAG (a few characters) keeps the namespaces of concurrent runs apart.
set -euo pipefail

cmd=$1 tag=$2 dir=$3
ns() { echo "bsh${tag}$1"; }
net=192.168.77

down() {
    # sshd and the server first (their pid files), then the namespaces (which removes their interfaces).
    for pidfile in "$dir"/*.pid; do
        [ -e "$pidfile" ] || continue
        kill "$(cat "$pidfile")" 2>/dev/null || true
        rm -f "$pidfile"
    done
    for name in $(ip netns list | awk '{print $1}' | grep "^bsh${tag}" || true); do
        ip netns pids "$name" 2>/dev/null | xargs -r kill -9 2>/dev/null || true
        ip netns del "$name" 2>/dev/null || true
    done
}

if [ "$cmd" = down ]; then
    down
    exit 0
fi

barrage=$4 count=$5 rate=$6 duration=$7
server_py="$(cd "$(dirname "$0")/../../TestSupport/Fixtures" && pwd)/server.py"
trap down EXIT
down
mkdir -p "$dir/collected"

# The network: a bridge in the hub namespace; controller .1, server .2, host k .(10+k), each behind a veth pair.
ip netns add "$(ns hub)"
ip -n "$(ns hub)" link set lo up
ip -n "$(ns hub)" link add br0 type bridge
ip -n "$(ns hub)" link set br0 up
attach() {  # namespace address port-name
    ip netns add "$1"
    ip -n "$(ns hub)" link add "$3" type veth peer name eth0 netns "$1"
    ip -n "$(ns hub)" link set "$3" master br0 up
    ip -n "$1" link set lo up
    ip -n "$1" addr add "$net.$2/24" dev eth0
    ip -n "$1" link set eth0 up
}
attach "$(ns ctl)" 1 pctl
attach "$(ns srv)" 2 psrv
hosts=()
for ((k = 0; k < count; k++)); do
    attach "$(ns h$k)" $((10 + k)) "ph$k"
    hosts+=("$net.$((10 + k))")
done
printf '%s\n' "${hosts[@]}" > "$dir/hosts"

# Keys made here: one host key for every sshd, one user key the controller logs in with.
ssh-keygen -q -t ed25519 -N '' -C host -f "$dir/hostkey"
ssh-keygen -q -t ed25519 -N '' -C user -f "$dir/userkey"
cp "$dir/userkey.pub" "$dir/authorized_keys"
: > "$dir/known_hosts"
for h in "${hosts[@]}"; do echo "$h $(cut -d' ' -f1-2 "$dir/hostkey.pub")" >> "$dir/known_hosts"; done
cat > "$dir/sshd_config" <<EOF
HostKey $dir/hostkey
AuthorizedKeysFile $dir/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
Subsystem sftp internal-sftp
EOF
mkdir -p /run/sshd  # sshd's privilege-separation directory (systemd makes it on a real host)
for ((k = 0; k < count; k++)); do
    mkdir -p "$dir/remote/${hosts[$k]}"
    ip netns exec "$(ns h$k)" /usr/sbin/sshd -D -e -f "$dir/sshd_config" -o "ListenAddress=${hosts[$k]}" \
        > "$dir/sshd-$k.log" 2>&1 &
    echo $! > "$dir/sshd-$k.pid"
done

# The server, in its own namespace; it exits when its standard input (a FIFO this script holds) closes.
mkfifo "$dir/server.in"
ip netns exec "$(ns srv)" python3 "$server_py" --bind "$net.2" < "$dir/server.in" > "$dir/server.port" \
    2> "$dir/server.stderr" &
echo $! > "$dir/server.pid"
exec 8> "$dir/server.in"
for _ in $(seq 200); do [ -s "$dir/server.port" ] && break; sleep 0.05; done
port=$(head -1 "$dir/server.port")
printf 'GET http://%s.2:%s/\n' "$net" "$port" > "$dir/targets.http"

ssh_options=(-F /dev/null -i "$dir/userkey" -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=yes
    -o "UserKnownHostsFile=$dir/known_hosts" -o ConnectTimeout=5)
in_ctl() { ip netns exec "$(ns ctl)" "$@"; }
for ((k = 0; k < count; k++)); do  # each sshd listens (it says so on stderr)
    for try in $(seq 200); do
        grep -q "Server listening" "$dir/sshd-$k.log" && break
        [ "$try" = 200 ] && { echo "sshd on ${hosts[$k]} does not start" >&2; cat "$dir/sshd-$k.log" >&2; exit 1; }
        sleep 0.05
    done
done

# The attack: pdsh gives each host its rank as %n; every shard starts at the same instant.
start_at=$(date -u -d '+8 seconds' +%Y-%m-%dT%H:%M:%S.%NZ)
echo "$start_at" > "$dir/start-at"
hostlist=$(IFS=,; echo "${hosts[*]}")
in_ctl pdsh -R exec -w "$hostlist" ssh "${ssh_options[@]}" root@%h \
    "$barrage attack -shard=%n/$count -start-at=$start_at -rate=$rate -duration=$duration" \
    "-targets=$dir/targets.http -output=$dir/remote/%h/results.bin"

# Collect each host's file over scp, count what the server saw, report the merged files.
fetches=()
for h in "${hosts[@]}"; do
    in_ctl scp -q "${ssh_options[@]}" "root@$h:$dir/remote/$h/results.bin" "$dir/collected/$h.bin" &
    fetches+=($!)
done
for f in "${fetches[@]}"; do wait "$f"; done
in_ctl curl -fsS "http://$net.2:$port/count" > "$dir/count"
"$barrage" report -type=json "$dir"/collected/*.bin > "$dir/report.json" 2> "$dir/report.stderr"
