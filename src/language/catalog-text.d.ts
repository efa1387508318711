/** `.kmflow` files imported by the code are bundled as text (esbuild's text loader). */
declare module '*.kmflow' {
    const source: string;
    export default source;
}
