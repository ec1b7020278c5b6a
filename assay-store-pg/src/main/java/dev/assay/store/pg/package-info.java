/** The PostgreSQL run store (--store postgresql://…): rows in runs, samples and cache, schema by Flyway. */
package dev.assay.store.pg;
