-- Argo CD health of an aisre.io SreTask (docs/gitops.md has the phase table).
-- Lua 5.1 as Argo CD runs it (gopher-lua): the global obj is the object, the script returns {status, message}.
local hs = {}

-- The message of a condition of this type, or nil.
local function conditionMessage(conditionType)
  if obj.status.conditions == nil then
    return nil
  end
  for _, c in ipairs(obj.status.conditions) do
    if c.type == conditionType and c.message ~= nil and c.message ~= "" then
      return c.message
    end
  end
  return nil
end

if obj.status == nil or obj.status.phase == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the aisre operator to accept the task"
  return hs
end

-- A status written for an older spec says nothing about the current one.
local generation = obj.metadata.generation
local observed = obj.status.observedGeneration
if generation ~= nil and observed ~= nil and observed < generation then
  hs.status = "Progressing"
  hs.message = "Waiting for the aisre operator to observe generation " .. generation .. " (status is of generation " .. observed .. ")"
  return hs
end

local phase = obj.status.phase
local detail = conditionMessage("Ready") or obj.status.message
local planName = nil
if obj.status.remediationPlanRef ~= nil then
  planName = obj.status.remediationPlanRef.name
end

local health = {
  Pending = { "Progressing", "Waiting for the aisre operator to accept the task" },
  Accepted = { "Progressing", "Accepted; classifying" },
  Diagnosing = { "Progressing", "Diagnosing" },
  Diagnosed = { "Healthy", "Diagnosed" },
  AwaitingApproval = { "Suspended", "Waiting for a decision on the remediation plan" },
  Remediating = { "Progressing", "Remediating" },
  Succeeded = { "Healthy", "Remediated and verified" },
  Failed = { "Degraded", "Failed" },
  Resolved = { "Healthy", "The alert resolved" },
}

local entry = health[phase]
if entry == nil then
  hs.status = "Unknown"
  hs.message = "Unknown phase " .. tostring(phase)
  return hs
end

hs.status = entry[1]
hs.message = phase .. ": " .. (detail or entry[2])

-- Diagnosed with a plan: the plan is being checked against policy, the task is not done yet.
if phase == "Diagnosed" and planName ~= nil then
  hs.status = "Progressing"
  hs.message = phase .. ": remediation plan " .. planName .. " is being prepared"
end
-- Point the approver at the plan (kubectl aisre approve PLAN).
if phase == "AwaitingApproval" and planName ~= nil and detail == nil then
  hs.message = phase .. ": remediation plan " .. planName .. " waits for a user allowed the verb approve"
end
return hs
