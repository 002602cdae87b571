/**
 * Writes one feature's columns of a row. `out` is zeroed over the row before any writer runs, so writers only write
 * non-zero values; `rowStart` is the row's first index in `out`. Never throws, whatever `raw` holds.
 */
export type ColumnWriter = (out: Float32Array, rowStart: number, raw: unknown) => void;
