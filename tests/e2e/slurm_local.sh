# slurm_local.sh - a private single-node Slurm for a test, sourced after
# lib.sh: munged, slurmctld and slurmd from Debian's packages, with their
# key, sockets, state and logs in $T/slurm, bound to 127.0.0.1 on two free
# ports, stopped by the EXIT trap.  Sets SLURM_CONF.  The machine's own
# Slurm and munge, if any, are neither used nor touched.
#
#	. "$(dirname "$0")/slurm_local.sh"
#	slurm_up || skip_or_fail ...
#	sbatch ...

slurm_pids=()

# slurm_down: stop the daemons and wait (at most 10 s) until they are
# gone: slurmctld writes its state as it shuts down, and removing $T
# under it fails with "Directory not empty".
slurm_down() {
	local p pids=("${slurm_pids[@]}") i alive
	for p in "$T"/slurm/*.pid "$T"/slurm/munge/munged.pid; do
		[ -f "$p" ] && pids+=("$(cat "$p")")
	done
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	for i in $(seq 100); do
		alive=0
		for p in "${pids[@]}"; do
			kill -0 "$p" 2>/dev/null && alive=1
		done
		[ "$alive" = 0 ] && break
		sleep 0.1
	done
	return 0
}

# slurm_free_port: a TCP port nothing listens on.
slurm_free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

slurm_up() {
	local d=$T/slurm host p1 p2 i
	need munged slurmctld slurmd sbatch sinfo python3
	[ "$(id -u)" = 0 ] || fail "the Slurm test runs its daemons as root"
	# munged wants its socket's directories searchable by all, and its
	# key in a directory only root may write.
	chmod 711 "$T"
	mkdir -p "$d/state" "$d/spool" "$d/munge" "$d/key"
	chmod 755 "$d" "$d/munge"
	chmod 700 "$d/key"
	head -c 1024 /dev/urandom >"$d/key/munge.key"
	chmod 400 "$d/key/munge.key"
	munged --socket="$d/munge/munge.socket" --key-file="$d/key/munge.key" \
		--pid-file="$d/munge/munged.pid" --log-file="$d/munge/munged.log" \
		--seed-file="$d/munge/seed" ||
		fail "munged would not start: $(tail -3 "$d/munge/munged.log" 2>/dev/null)"
	host=$(hostname -s)
	p1=$(slurm_free_port)
	p2=$(slurm_free_port)
	cat >"$d/slurm.conf" <<-CONF
	ClusterName=starlabtest
	SlurmctldHost=$host(127.0.0.1)
	SlurmctldPort=$p1
	SlurmdPort=$p2
	AuthType=auth/munge
	AuthInfo=socket=$d/munge/munge.socket
	CredType=cred/munge
	SlurmUser=root
	SlurmdUser=root
	StateSaveLocation=$d/state
	SlurmdSpoolDir=$d/spool
	SlurmctldPidFile=$d/slurmctld.pid
	SlurmdPidFile=$d/slurmd.pid
	SlurmctldLogFile=$d/slurmctld.log
	SlurmdLogFile=$d/slurmd.log
	ProctrackType=proctrack/linuxproc
	TaskPlugin=task/none
	SchedulerType=sched/builtin
	SelectType=select/cons_tres
	SelectTypeParameters=CR_CPU
	ReturnToService=2
	MpiDefault=none
	JobCompType=jobcomp/none
	AccountingStorageType=accounting_storage/none
	NodeName=$host NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
	PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
	CONF
	export SLURM_CONF=$d/slurm.conf
	trap 'slurm_down; rm -rf "$T"' EXIT
	slurmctld -c -f "$SLURM_CONF" || fail "slurmctld: $(tail -5 "$d/slurmctld.log")"
	slurmd -f "$SLURM_CONF" || fail "slurmd: $(tail -5 "$d/slurmd.log")"
	for i in $(seq 1 100); do
		sinfo -h -o '%T' 2>/dev/null | grep -qE '^(idle|mixed)' && return 0
		sleep 0.2
	done
	fail "the test's Slurm node never came up: $(sinfo 2>&1 | tail -3); $(tail -5 "$d/slurmd.log")"
}
