// Summary of a jest --json results file (scripts/test.sh): pass/fail counts, the wall time, and
// the 10 slowest test files, so that a slow suite says where its time goes.
// Usage: node scripts/test-summary.js <results.json> [wall-seconds]
const fs = require('fs');

const [file, wallSeconds] = process.argv.slice(2);
const r = JSON.parse(fs.readFileSync(file, 'utf8'));
console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed` + (r.numPendingTests ? `, ${r.numPendingTests} skipped` : ''));

const files = r.testResults
  .map((t) => ({ name: require('path').relative(process.cwd(), t.name), seconds: (t.endTime - t.startTime) / 1000 }))
  .filter((t) => Number.isFinite(t.seconds));
const total = files.reduce((s, t) => s + t.seconds, 0);
const wall = wallSeconds !== undefined ? `${Math.round(Number(wallSeconds))} s wall, ` : '';
console.log(`${files.length} files, ${wall}${Math.round(total)} s summed over files`);
console.log('Slowest files:');
for (const t of files.sort((a, b) => b.seconds - a.seconds).slice(0, 10)) console.log(`  ${t.seconds.toFixed(1).padStart(6)} s  ${t.name}`);
