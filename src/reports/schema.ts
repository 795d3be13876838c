import { z } from "zod";
import { GROUP_BY } from "./types";
import { rangeQuery } from "./range";

/** GET /api/report and the report page read the same query. */
export const reportQuery = rangeQuery.extend({ groupBy: z.enum(GROUP_BY).default("campaign") });
