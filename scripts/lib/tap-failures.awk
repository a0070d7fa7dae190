# Prints every failed test of a TAP log (node --test): the "not ok" line and its YAML
# block (error, expected/actual, stack) — all of them, wherever they stand in the log, so a
# failure early in a long run is not lost below a tail.
#   awk -f scripts/lib/tap-failures.awk e2e.log
/^[ ]*not ok / {
  match($0, /^[ ]*/); indent = RLENGTH
  printing = 1; print; next
}
printing {
  print
  match($0, /^[ ]*/)
  if ($0 ~ /^[ ]*\.\.\.$/ && RLENGTH == indent + 2) printing = 0
  else if (RLENGTH <= indent && $0 !~ /^[ ]*$/) printing = 0
}
