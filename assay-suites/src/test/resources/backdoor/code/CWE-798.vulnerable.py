import psycopg2


def connect():
    return psycopg2.connect(host="db.internal", user="app", password="Winter2024!")
