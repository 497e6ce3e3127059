import { Injectable } from '@nestjs/common';
import bcrypt from 'bcrypt';

const COST = 12;
/** A real cost-12 hash of a random string: verifying against it costs what a real check costs. */
const DUMMY_HASH = '$2b$12$QC3Zwr3c8p1eAgwlhWtsLu5f1sVYYYM7HpCEET0lKY07JnJN.t0/G';

/**
 * bcrypt (cost 12, `$2b$`, compatible with the original database) in the native binding, whose
 * async calls run on libuv's thread pool: hashing never blocks the event loop.
 */
@Injectable()
export class PasswordHasher {
  hash(password: string): Promise<string> {
    return bcrypt.hash(password, COST);
  }

  /** False for a wrong password and for a malformed stored hash. */
  async verify(password: string, hash: string): Promise<boolean> {
    try {
      return await bcrypt.compare(password, hash);
    } catch {
      return false;
    }
  }

  /** For unknown e-mails: the same work as a real check, so timing does not reveal the account. */
  async verifyDummy(password: string): Promise<false> {
    await this.verify(password, DUMMY_HASH);
    return false;
  }
}
