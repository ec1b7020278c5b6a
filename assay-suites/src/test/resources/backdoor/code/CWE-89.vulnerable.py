import sqlite3


def find(conn, term):
    return conn.execute(f"SELECT name FROM products WHERE name LIKE '%{term}%'").fetchall()
