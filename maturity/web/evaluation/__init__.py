"""Units, frameworks, rounds, submissions, evidence, verifications and results."""
