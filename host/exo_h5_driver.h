/*
 * exo_h5_driver: the HDF5 file driver of exobd's output files, a POSIX file
 * like HDF5's sec2 driver whose every flush reaches the disk in an order
 * that keeps the file readable if the process dies part-way through it
 * (kill -9, a crash, the OOM killer).  Files it writes are plain HDF5 files:
 * readers need no driver of their own.
 *
 * Why: HDF5 writes the dirty metadata of a flush in address order.  A
 * dataset's object header, which holds its extent, lies before the chunk
 * index nodes and the superblock written after it, so a process killed in
 * the middle of a flush could leave a dataset one row longer on disk than
 * the chunks behind it (a last frame of fill values, seen in test_resume),
 * or point it past the file's recorded end.
 *
 * How: a write to space beyond the file's end as of the last flush goes to
 * the disk at once (nothing on disk refers to it yet); a write to older
 * space is held in memory until the flush, which writes the held blocks in
 * the order superblock (the file's new end), data, heaps, index nodes,
 * object headers.  exo_h5.c creates outputs with file-space strategy NONE,
 * so HDF5 allocates every block at the file's end and never reuses a freed
 * one that the disk may still refer to.  So every extent and link that
 * reaches the disk refers to blocks already there, and a process killed
 * during a flush leaves the file as of the last flush, or with some
 * datasets one row longer and every row whole (tests/cli/test_crash.sh).
 * What stays uncovered is listed in docs/reliability.md.
 *
 * Only exo_h5.c uses it, from the one thread that owns a file.
 */
#ifndef EXO_H5_DRIVER_H
#define EXO_H5_DRIVER_H

#include <hdf5.h>

/* Select the driver on the file access properties @p fapl.  Returns a
 * negative value, with HDF5's error stack set, if it cannot be registered. */
herr_t exo_h5_driver_select(hid_t fapl);

#endif /* EXO_H5_DRIVER_H */
