"""Build the one-time tables before any test runs, so hypothesis deadlines time the work itself."""

from newstrace.fingerprint import minhash

minhash("warm up the fold and word tables")
