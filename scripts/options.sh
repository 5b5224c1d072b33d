# Sourced by the demo, benchmark, soak and outage scripts: their options and their settings from the
# environment, each checked before anything is built or started (a typo must not start an hour-long run).

# script_help: the running script's header comment, without the '#'.
script_help() {
  sed -n '2,/^[^#]/{/^#/s/^# \{0,1\}//p}' "$0"
}

# script_options NAME "$@": --no-build sets BUILD=0 (else 1); -h/--help prints the script's header comment;
# anything else is one line on standard error and exit 2.
script_options() {
  local name=$1; shift
  BUILD=1
  for argument in "$@"; do
    case $argument in
      --no-build) BUILD=0 ;;
      -h|--help) script_help; exit 0 ;;
      *) echo "$name: unknown option '$argument' (the only option is --no-build; settings go in the environment, see --help)" >&2; exit 2 ;;
    esac
  done
}

# whole_number NAME VARIABLE MIN MAX: the variable's value must be a whole number in [MIN, MAX].
whole_number() {
  local name=$1 variable=$2 min=$3 max=$4 value=${!2}
  if ! [[ $value =~ ^[0-9]{1,9}$ ]] || (( 10#$value < min || 10#$value > max )); then
    echo "$name: $variable must be a whole number from $min to $max (got '$value')" >&2
    exit 2
  fi
}
