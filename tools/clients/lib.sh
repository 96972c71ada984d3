# The step protocol of a client script: one line per step on stdout, `ok <step>`, `not ok <step> <why>`
# or `absent <step> <why>` (the tool has no such call). Sourced by every shell client script, which the
# harness (run-clients.ts) starts with ENDPOINT, BUCKET, WORK, OUT, CLIENT_STEPS and the keys in the
# environment.

# Runs a step's function, at most STEP_SECONDS (default 60; a tool retrying an error it takes for a
# passing one would otherwise hold the rest); its output goes to stderr (the harness shows the tail on a
# failure).
run_step() {
  local name=$1 fn=$2 log
  log=$(mktemp)
  # shellcheck disable=SC2046 # every function of the script, for the child shell that runs the step
  export -f $(compgen -A function)
  if timeout --kill-after=5 "${STEP_SECONDS:-60}" bash -c "$fn" >"$log" 2>&1; then
    echo "ok $name"
  elif [ $? -ge 124 ]; then
    echo "not ok $name timed out after ${STEP_SECONDS:-60} s: $(tail -c 200 "$log" | tr '\n' ' ')"
  else
    echo "not ok $name $(tail -c 300 "$log" | tr '\n' ' ')"
  fi
  cat "$log" >&2
  rm -f "$log"
}

absent() { echo "absent $1 $2"; }

# True when two files hold the same bytes.
same() { cmp -s "$1" "$2" || { echo "$2 differs from $1"; return 1; }; }

# How many writes (PUT or POST) the simulator has answered for this client's bucket so far.
writes() { curl -fsS "$ENDPOINT/_clients/writes/$BUCKET"; }

# Runs `command...` twice: the second run must write nothing (the sync finds everything in place).
sync_twice() {
  "$@" || return 1
  local before
  before=$(writes) && "$@" && [ "$(writes)" = "$before" ] ||
    { echo "the second sync wrote: $before then $(writes) writes"; return 1; }
}

# Runs the harness's steps in its order (CLIENT_STEPS): s_<step>, dashes as underscores, where the script
# defines it; else the step is absent for the reason in ABSENT_<step>, and a step with neither fails.
run_steps() {
  local step fn reason
  for step in $CLIENT_STEPS; do
    fn="s_${step//-/_}"
    reason="ABSENT_${step//-/_}"
    if declare -F "$fn" >/dev/null; then
      run_step "$step" "$fn"
    elif [ -n "${!reason:-}" ]; then
      absent "$step" "${!reason}"
    else
      echo "not ok $step the script defines no $fn and gives no reason in $reason"
    fi
  done
}
