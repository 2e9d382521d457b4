# stats.sh — sourced by the test scripts that read strex-emu's -stats JSON.

# stats_counter FILE NAME: the value of counter NAME in -stats file FILE
# (empty when the file or the counter is missing).
stats_counter() {
    grep -o "\"$2\": *[0-9]*" "$1" 2>/dev/null | grep -o '[0-9]*$'
}
