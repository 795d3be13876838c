// Files wrangler bundles as text (the [[rules]] in wrangler.toml): their import is their content.
declare module "*.client.js" {
  const text: string;
  export default text;
}
declare module "uplot/dist/uPlot.iife.min.js" {
  const text: string;
  export default text;
}
declare module "uplot/dist/uPlot.min.css" {
  const text: string;
  export default text;
}
