/**
 * Prints one plain closing line, `tests: N passed, N failed, N skipped`, after jest's own
 * summary, so tools that read a run's last line (CI) can count without parsing jest's format.
 */
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    process.stdout.write(`tests: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${skipped} skipped\n`);
  }
}

module.exports = SummaryReporter;
