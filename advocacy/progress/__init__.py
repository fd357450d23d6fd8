"""Progress reports: due three months after the final report, then every six
months; the beat scheduler reminds the organisers when one is due, and the
reports pipeline (recommendations.report) renders them with advocacy's columns."""
