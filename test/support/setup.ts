// type-graphql reads decorator metadata through the Reflect API.
import "reflect-metadata";
import { expect } from "vitest";
import { ignoreReadAt } from "../storage/fixtures.js";

// Two reads of one ledger row differ in `readAt` (when it was read); tests compare the row itself.
expect.addEqualityTesters([ignoreReadAt]);
