import sqlite3


def find(conn, term):
    return conn.execute("SELECT name FROM products WHERE name LIKE ?", ("%" + term + "%",)).fetchall()
