"""The benchmark server's own middleware: how many SQL statements each request ran, in a header."""

from django.db import connection

QUERIES_HEADER = "X-Bench-Queries"


def query_count(get_response):
    """Counts the statements each request sends through Django's cursors (savepoints included; BEGIN and
    COMMIT are not statements there) and returns their number in X-Bench-Queries. First in MIDDLEWARE,
    so that it counts for every request, whatever answers it."""

    def middleware(request):
        count = 0

        def counted(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counted):
            response = get_response(request)
        response[QUERIES_HEADER] = str(count)
        return response

    return middleware
