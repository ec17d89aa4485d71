# bash completion for starlab(1)
_starlab()
{
	local cur prev words cword
	_init_completion || return

	local cmds="requirements ls unpack firmware device snapshot compare assess diff label batch service app help"
	local limits="--max-depth --max-total --max-file --max-ratio --max-files --max-path --threads"
	local fmts="text json md sarif cyclonedx"

	if [[ $cword -eq 1 ]]; then
		COMPREPLY=($(compgen -W "$cmds --help --version" -- "$cur"))
		return
	fi
	case $prev in
	--format)
		case ${words[1]} in
		requirements | ls) COMPREPLY=($(compgen -W "text json" -- "$cur")) ;;
		*) COMPREPLY=($(compgen -W "$fmts" -- "$cur")) ;;
		esac
		return ;;
	--event)
		COMPREPLY=($(compgen -W "power-cycle factory-reset" -- "$cur"))
		return ;;
	-o | --vuln-db | --snapshots | --merge)
		_filedir -d
		return ;;
	--progress)
		COMPREPLY=($(compgen -W "auto tty none json" -- "$cur"))
		return ;;
	--state)
		COMPREPLY=($(compgen -W "active extension withdrawn revoked expired" -- "$cur"))
		return ;;
	--profile | --update-key | --creds | --ca-file | --firmware | --report | --openapi | --replay)
		_filedir
		return ;;
	--ports | --rate | --timeout | --concurrency | --max-logins | --bf-attempts | \
	--max-depth | --max-total | --max-file | --max-ratio | --max-files | \
	--max-path | --threads | --device | --issued | --expires | --as-of | \
	--jobs | --max-devices | --task | --sbatch | --account | --max-requests | \
	--attempts | --max-token-life)
		return ;;
	esac
	local opts
	case ${words[1]} in
	requirements) opts="--format" ;;
	ls) opts="--format $limits" ;;
	unpack) opts="-o $limits" ;;
	firmware) opts="-o --format --vuln-db --update-key --profile --quiet --progress $limits" ;;
	device) opts="--profile --format -o --ports --no-udp --rate --timeout --concurrency --intrusive --creds --max-logins --bf-attempts --ca-file --quiet --progress" ;;
	snapshot) opts="--profile -o --timeout" ;;
	compare) opts="--event --profile --format -o" ;;
	assess) opts="--profile --firmware --device --snapshots --service --openapi --account --replay --app -o --vuln-db --update-key --ports --no-udp --timeout --rate --concurrency --max-logins --bf-attempts --intrusive --creds --ca-file --quiet --progress $limits" ;;
	diff) opts="--format" ;;
	label) opts="--profile --report --issued --expires --state --as-of --format" ;;
	batch) opts="-o --jobs --max-devices --force --slurm --wait --sbatch --prepare --task --merge" ;;
	service) opts="--openapi --account --profile --max-requests --rate --timeout --attempts --max-token-life --ca-file --intrusive --replay --format -o --quiet --progress" ;;
	app) opts="--profile --format -o $limits" ;;
	help) COMPREPLY=($(compgen -W "$cmds" -- "$cur")); return ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$opts --help" -- "$cur"))
	elif [[ ${words[1]} != device && ${words[1]} != requirements && ${words[1]} != service ]]; then
		_filedir
	fi
} &&
	complete -F _starlab starlab
