import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { DatabaseConnection } from '@app/database/database-connection';
import { concat, defer, distinctUntilChanged, Observable, Subject } from 'rxjs';

export type ServingStatus = 'SERVING' | 'NOT_SERVING';

/** How often the health watch re-checks the database. */
const WATCH_INTERVAL_MS = 2_000;

/**
 * Serving while the database answers and the process is not shutting down. `check()` asks the
 * database now; `changes()` feeds gRPC Health/Watch from a periodic probe that runs only while
 * someone watches.
 */
@Injectable()
export class DatabaseHealthService implements OnModuleDestroy {
  private shuttingDown = false;
  private readonly statusChanges = new Subject<ServingStatus>();
  private lastStatus?: ServingStatus;
  private watchers = 0;
  private timer?: NodeJS.Timeout;

  constructor(private readonly database: DatabaseConnection) {}

  async check(): Promise<ServingStatus> {
    const status: ServingStatus = !this.shuttingDown && (await this.database.ping()) ? 'SERVING' : 'NOT_SERVING';
    if (status !== this.lastStatus) {
      this.lastStatus = status;
      this.statusChanges.next(status);
    }
    return status;
  }

  /** The current status, then every change, until the subscriber leaves. */
  watch(): Observable<ServingStatus> {
    return new Observable<ServingStatus>((subscriber) => {
      this.watchers += 1;
      this.timer ??= setInterval(() => void this.check(), WATCH_INTERVAL_MS);
      const subscription = concat(defer(() => this.check()), this.statusChanges).pipe(distinctUntilChanged()).subscribe(subscriber);
      return () => {
        subscription.unsubscribe();
        this.watchers -= 1;
        if (this.watchers === 0 && this.timer) {
          clearInterval(this.timer);
          this.timer = undefined;
        }
      };
    });
  }

  get isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  /** From SIGTERM on, health answers NOT_SERVING so load balancers drain this instance. */
  markShuttingDown(): void {
    this.shuttingDown = true;
    this.lastStatus = 'NOT_SERVING';
    this.statusChanges.next('NOT_SERVING');
    // Ends every Watch stream, so the gRPC server can drain.
    this.statusChanges.complete();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
    this.statusChanges.complete();
  }
}
