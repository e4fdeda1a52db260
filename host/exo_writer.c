/*
 * exo_writer: see exo_writer.h.  A ring of jobs under one mutex, two
 * condition variables: `more` (the thread waits for work), `room` (submit
 * waits for a free place, drain for an empty ring).
 */
#include "exo_writer.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "exo_error.h"

typedef struct writer_job {
    exo_write_fn write;
    exo_release_fn release;
    void *data;
} writer_job;

struct exo_writer {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t more, room;
    writer_job *ring;
    unsigned depth, head, count; /* jobs ring[head .. head + count - 1]      */
    int busy;                    /* the thread is running a job              */
    int inline_jobs;             /* no thread: submit runs each job at once  */
    int stopping;
    exo_status status;           /* first failure of a job, EXO_OK           */
    exo_error failure;
};

static void release(writer_job *j)
{
    if (j->release)
        j->release(j->data);
}

static void *writer_main(void *arg)
{
    exo_writer *w = arg;
    pthread_mutex_lock(&w->lock);
    for (;;) {
        while (w->count == 0 && !w->stopping)
            pthread_cond_wait(&w->more, &w->lock);
        if (w->count == 0)
            break; /* stopping, and nothing left */
        writer_job j = w->ring[w->head];
        w->head = (w->head + 1) % w->depth;
        w->count--;
        w->busy = 1;
        int failed = w->status != EXO_OK;
        pthread_mutex_unlock(&w->lock);
        exo_error e;
        memset(&e, 0, sizeof e);
        exo_status rc = failed ? EXO_OK : j.write(j.data, &e);
        release(&j);
        pthread_mutex_lock(&w->lock);
        if (rc != EXO_OK && w->status == EXO_OK) {
            w->status = rc;
            w->failure = e;
        }
        w->busy = 0;
        pthread_cond_broadcast(&w->room);
    }
    pthread_mutex_unlock(&w->lock);
    return NULL;
}

/* The writer's first failure into err (first error wins there too). */
static exo_status report(exo_writer *w, exo_error *err)
{
    if (w->status != EXO_OK && err && !exo_error_is_set(err))
        *err = w->failure;
    return w->status;
}

exo_status exo_writer_start(exo_writer **out, unsigned depth, exo_error *err)
{
    exo_status rc = EXO_OK;
    exo_writer *w = NULL;
    *out = NULL;
    EXO_ALLOC(w, 1, err, "the output writer");
    if (depth == 0) {
        w->inline_jobs = 1;
        *out = w;
        return EXO_OK;
    }
    w->depth = depth;
    EXO_ALLOC(w->ring, w->depth, err, "the output writer's queue");
    EXO_CHECK(pthread_mutex_init(&w->lock, NULL) == 0, err, EXO_ERR_IO,
              "cannot create the output writer's lock");
    if (pthread_cond_init(&w->more, NULL) != 0) {
        pthread_mutex_destroy(&w->lock);
        EXO_CHECK(0, err, EXO_ERR_IO, "cannot create the output writer's condition");
    }
    if (pthread_cond_init(&w->room, NULL) != 0) {
        pthread_cond_destroy(&w->more);
        pthread_mutex_destroy(&w->lock);
        EXO_CHECK(0, err, EXO_ERR_IO, "cannot create the output writer's condition");
    }
    if (pthread_create(&w->thread, NULL, writer_main, w) != 0) {
        pthread_cond_destroy(&w->room);
        pthread_cond_destroy(&w->more);
        pthread_mutex_destroy(&w->lock);
        EXO_CHECK(0, err, EXO_ERR_IO, "cannot start the output writer thread");
    }
    *out = w;
    return EXO_OK;
cleanup:
    if (w)
        free(w->ring);
    free(w);
    return rc;
}

exo_status exo_writer_submit(exo_writer *w, exo_write_fn write, void *data,
                             exo_release_fn rel, exo_error *err)
{
    writer_job j = {write, rel, data};
    if (w->inline_jobs) {
        exo_error e;
        memset(&e, 0, sizeof e);
        exo_status rc = w->status == EXO_OK ? j.write(j.data, &e) : EXO_OK;
        release(&j);
        if (rc != EXO_OK && w->status == EXO_OK) {
            w->status = rc;
            w->failure = e;
        }
        return report(w, err);
    }
    pthread_mutex_lock(&w->lock);
    while (w->count == w->depth && w->status == EXO_OK)
        pthread_cond_wait(&w->room, &w->lock);
    exo_status rc = report(w, err);
    if (rc == EXO_OK) {
        w->ring[(w->head + w->count) % w->depth] = j;
        w->count++;
        pthread_cond_signal(&w->more);
    }
    pthread_mutex_unlock(&w->lock);
    if (rc != EXO_OK)
        release(&j);
    return rc;
}

exo_status exo_writer_drain(exo_writer *w, exo_error *err)
{
    if (w->inline_jobs)
        return report(w, err);
    pthread_mutex_lock(&w->lock);
    while (w->count > 0 || w->busy)
        pthread_cond_wait(&w->room, &w->lock);
    exo_status rc = report(w, err);
    pthread_mutex_unlock(&w->lock);
    return rc;
}

exo_status exo_writer_stop(exo_writer *w, exo_error *err)
{
    if (w == NULL)
        return EXO_OK;
    if (w->inline_jobs) {
        exo_status rc = report(w, err);
        free(w);
        return rc;
    }
    pthread_mutex_lock(&w->lock);
    w->stopping = 1;
    pthread_cond_signal(&w->more);
    pthread_mutex_unlock(&w->lock);
    pthread_join(w->thread, NULL);
    exo_status rc = report(w, err);
    pthread_cond_destroy(&w->room);
    pthread_cond_destroy(&w->more);
    pthread_mutex_destroy(&w->lock);
    free(w->ring);
    free(w);
    return rc;
}
