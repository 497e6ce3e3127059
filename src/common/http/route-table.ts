import { Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';

interface RouterLayer {
  route?: { methods: Record<string, boolean> };
  match(path: string): boolean;
}

/** Answers "is there a route for this path under another method?", to tell a 405 from a 404. */
@Injectable()
export class RouteTable {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  hasOtherMethodFor(method: string, path: string): boolean {
    const app = this.adapterHost.httpAdapter.getInstance<{ router?: { stack: RouterLayer[] } }>();
    const wanted = method.toLowerCase();
    return (app.router?.stack ?? []).some(
      (layer) => layer.route !== undefined && !layer.route.methods[wanted] && layer.match(path),
    );
  }
}
