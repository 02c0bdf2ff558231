-- wrk script: POST /api/query with the body bench/web/run.sh puts in BENCH_QUERY_BODY.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = os.getenv("BENCH_QUERY_BODY")
