/** The English strings must have exactly the Chinese keys: this type checks it. */
export type Shape<T> = { [K in keyof T]: T[K] extends string ? string : Shape<T[K]> }
