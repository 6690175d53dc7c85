// Id generation is a port so ids sort by the (possibly controlled) clock.
export interface IdGenerator {
  next(): string;
}
