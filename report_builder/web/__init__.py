"""`report-builder serve`: a page in the user's own browser, for those who work in Excel and WPS, not a terminal.

The top floor beside cli.py: it calls the same library functions (load_inputs, report.rows, build_report, the
batch runner, audit_file) and nothing below knows it exists. `server` checks the options and runs uvicorn,
`app` holds the routes and pages, `sessions` each visitor's temporary folder and the upload checks, `work`
what runs in the worker process.
"""
